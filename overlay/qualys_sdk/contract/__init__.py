"""The live contract check: a fixed, read-only plan of calls against a real tenant, every answer checked against
the specs and XSDs this SDK was generated from (``qualys contract check``, ``pytest --qualys-live``).

- :mod:`.plan`: the calls, in order, and the only requests the check may send;
- :mod:`.runner`: runs the plan through a :class:`qualys_sdk.Qualys` client and keeps every raw exchange;
- :mod:`.validate` (with :mod:`.json_checks` and :mod:`.xml_checks`): one exchange against the spec, as findings;
- :mod:`.findings`: what a finding says and how it is graded (breaking, additive, note);
- :mod:`.report`: the outcome of each call, the exit code, JSON and JUnit XML;
- :mod:`.record`: the exchanges as scrubbed cassettes;
- :mod:`.pytest_live`: the same check as one pytest test per planned call.

Checking answers needs the ``[contract]`` extra (PyYAML, openapi-schema-validator, xmlschema); the plan alone
(``--dry-run``) needs nothing. Importing this package imports none of them.
"""
