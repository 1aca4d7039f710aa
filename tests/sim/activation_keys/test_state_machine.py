"""Activation keys through ``Qualys(...).activation_keys`` against the simulator, as a Hypothesis state machine.

A model dict holds what was written (title, type, modules by key id), with the simulator's documented rules: a
key keeps only the modules the subscription holds licenses for (``VM_LICENSE`` and ``PC_LICENSE`` by default),
and a title already taken is refused with ``CA_1001_DUPLICATE_KEY``. After every step, a search over all
pages (``iter_all`` with small pages) and a search filtered by ``title CONTAINS`` return exactly the model's
keys with those values, and a get of any deleted key raises ``NotFoundError``.
"""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis.strategies as st
import pytest
from hypothesis import settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, multiple, rule

from qualys_agentactkey import AgentActKey
from qualys_sdk import ConflictError, NotFoundError, Qualys, criterion
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.activation_keys.models import DEFAULT_LICENSES
from qualys_sdk.testing.pytest_plugin import SIM_PASSWORD, SIM_URL, SIM_USERNAME
from qualys_sdk.testing.transport import sim_client

LICENSES = ("VM_LICENSE", "PC_LICENSE", "FIM", "EDR", "SCA")
# Lower-case words: CONTAINS is matched without regard to case, and these keep the model's filter exact.
WORDS = st.sampled_from(("alpha", "beta", "gamma", "delta", "linux", "prod"))
TITLES = st.lists(WORDS, min_size=1, max_size=3).map("-".join)
MODULE_SETS = st.frozensets(st.sampled_from(LICENSES), max_size=3)
PAGE_SIZE = 2


@dataclass(frozen=True)
class Written:
    title: str
    type: str
    modules: frozenset[str]


def _modules(key: AgentActKey) -> frozenset[str]:
    if key.modules is None or key.modules.list_value is None:
        return frozenset()
    return frozenset(m.license or "" for m in key.modules.list_value.activation_key_module)


def _seen(key: AgentActKey) -> Written:
    return Written(key.title or "", key.type_value or "", _modules(key))


class ActivationKeyMachine(RuleBasedStateMachine):
    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator(empty=True)
        self.http = sim_client(self.sim.app, SIM_URL)
        self.client = Qualys(
            username=SIM_USERNAME, password=SIM_PASSWORD, gateway_url=SIM_URL, api_url=SIM_URL, http_client=self.http
        )
        self.model: dict[int, Written] = {}
        self.deleted: set[int] = set()

    def teardown(self) -> None:
        self.client.close()
        self.http.close()

    @initialize()
    def starts_empty(self) -> None:
        assert list(self.client.activation_keys.iter_all(page_size=PAGE_SIZE)) == []

    def _taken(self, title: str, by_other_than: int | None = None) -> bool:
        return any(w.title == title for i, w in self.model.items() if i != by_other_than)

    def _refused_as_duplicate(self, caught: pytest.ExceptionInfo[ConflictError], title: str) -> None:
        assert (caught.value.status_code, caught.value.code) == (200, "CA_1001_DUPLICATE_KEY")
        assert f": Activation key already exists with title {title} (" in caught.value.message

    @rule(target=keys, title=TITLES, modules=MODULE_SETS, count=st.one_of(st.none(), st.integers(1, 50)))
    def create(self, title: str, modules: frozenset[str], count: int | None) -> object:
        key_type = "UNLIMITED" if count is None else "COUNT_LIMITED"
        if self._taken(title):
            with pytest.raises(ConflictError) as caught:
                self.client.activation_keys.create(
                    type=key_type, title=title, count_purchased=count, modules=sorted(modules)
                )
            self._refused_as_duplicate(caught, title)
            return multiple()
        key = self.client.activation_keys.create(
            type=key_type, title=title, count_purchased=count, modules=sorted(modules)
        )
        assert key.id is not None
        assert key.id not in self.model
        assert key.id not in self.deleted
        self.model[key.id] = Written(title, key_type, modules & DEFAULT_LICENSES)
        assert _seen(key) == self.model[key.id]
        assert key.count_purchased == (count or 0), "an UNLIMITED key keeps countPurchased 0"
        return key.id

    @rule(key_id=keys, title=st.one_of(st.none(), TITLES), add=MODULE_SETS, remove=MODULE_SETS)
    def update(self, key_id: int, title: str | None, add: frozenset[str], remove: frozenset[str]) -> None:
        remove = remove - add  # adding and removing one license in one call is not documented
        before = self.model[key_id]

        def call() -> AgentActKey:
            return self.client.activation_keys.update(
                key_id, title=title, add_modules=sorted(add) or None, remove_modules=sorted(remove) or None
            )

        if title is not None and self._taken(title, by_other_than=key_id):
            with pytest.raises(ConflictError) as caught:
                call()
            self._refused_as_duplicate(caught, title)
            return
        key = call()
        modules = ((before.modules | add) - remove) & DEFAULT_LICENSES
        self.model[key_id] = Written(title if title is not None else before.title, before.type, modules)
        assert _seen(key) == self.model[key_id]

    @rule(key_id=keys)
    def get(self, key_id: int) -> None:
        assert _seen(self.client.activation_keys.get(key_id)) == self.model[key_id]

    @rule(key_id=consumes(keys))
    def delete(self, key_id: int) -> None:
        assert self.client.activation_keys.delete(key_id) == key_id
        del self.model[key_id]
        self.deleted.add(key_id)

    @invariant()
    def search_returns_the_model(self) -> None:
        found = list(self.client.activation_keys.iter_all(page_size=PAGE_SIZE))
        assert [k.id for k in found] == sorted(self.model), "every key exactly once, in id order"
        assert {k.id: _seen(k) for k in found} == self.model

    @invariant()
    def title_filter_returns_the_matching_keys(self) -> None:
        for word in sorted({w for written in self.model.values() for w in written.title.split("-")})[:2]:
            found = self.client.activation_keys.iter_all([criterion("title", "CONTAINS", word)], page_size=PAGE_SIZE)
            wanted = {i: w for i, w in self.model.items() if word in w.title}
            assert {k.id: _seen(k) for k in found} == wanted

    @invariant()
    def deleted_keys_are_gone(self) -> None:
        for key_id in sorted(self.deleted)[-2:]:
            with pytest.raises(NotFoundError) as caught:
                self.client.activation_keys.get(key_id)
            assert caught.value.code == "OBJECT_NOT_FOUND"
            assert caught.value.status_code == 200  # QPS errors come with HTTP 200


ActivationKeyMachine.TestCase.settings = settings(max_examples=15, stateful_step_count=10)
TestActivationKeys = ActivationKeyMachine.TestCase
