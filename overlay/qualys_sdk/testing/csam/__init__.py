"""CSAM v2 business metadata imports in the simulator.

``models`` (the state), ``responses`` (the route handlers), ``urls`` (the route table) and ``exceptions``
(CSAM's and its gateway's error bodies).
"""
