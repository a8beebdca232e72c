"""A plugin's models read as people say them (issue 17 items 4 and 5), offline: netbox-bgp's sessions,
peer groups and routing policies, with no code per plugin, and "tagged X" where X is a tag.

The schema in force is the shipped one plus netbox-bgp 0.20.2's models as netbox_tui.schema.generate
makes them from that plugin's OpenAPI schema (trimmed to the fields and filters asked about here:
`status` takes one value, `peer_group` and `import_policies` have no id filter in it). Names are
those of the fixture NetBox (tests/data/fixture-seed.json). No network.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from netbox_tui import schema as nbschema
from netbox_tui.core.intent import Condition, Intent, Ref
from netbox_tui.core.lexicon import lexicon
from netbox_tui.core.names import Named, NameIndex, graphql_query
from netbox_tui.core.parser import Parser
from netbox_tui.core.planner import build_query, local_rows

SESSION, PEER_GROUP, POLICY, ASN, TAG = (
    "netbox_bgp.bgpsession",
    "netbox_bgp.bgppeergroup",
    "netbox_bgp.routingpolicy",
    "ipam.asn",
    "extras.tag",
)
STATUS = "ec530572dc778583"


def _ref(to: str, key: str, *, desc: str = "", multi: bool = True) -> dict[str, Any]:
    return {
        "t": "ref",
        "to": to,
        "key": key,
        "multi": multi,
        "lookups": ["n"],
        **({"desc": desc} if desc else {}),
    }


def _fk(to: str, many: bool = False) -> dict[str, Any]:
    return {"t": "fk", "to": to, **({"many": True} if many else {})}


NAMED = {
    "name": {"t": "str", "multi": True, "lookups": ["ic", "ie", "isw", "n"]},
    "id": {"t": "num", "multi": True},
    "tag_id": _ref(TAG, "id"),
}
PLUGIN_MODELS: dict[str, dict[str, Any]] = {
    SESSION: {
        "path": "plugins/bgp/session/",
        "verbose": "bgp session",
        "label": "name",
        "fields": {
            "id": {"t": "int"},
            "display": {"t": "str"},
            "name": {"t": "str"},
            "description": {"t": "str"},
            "status": {"t": "choice", "enum": STATUS},
            "site": _fk("dcim.site"),
            "device": _fk("dcim.device"),
            "local_as": _fk(ASN),
            "remote_as": _fk(ASN),
            "peer_group": _fk(PEER_GROUP),
            "import_policies": _fk(POLICY, True),
            "export_policies": _fk(POLICY, True),
            "tags": _fk(TAG, True),
        },
        "filters": {
            **NAMED,
            "status": {"t": "choice", "enum": STATUS, "multi": False, "lookups1": ["empty", "n"]},
            "site": _ref("dcim.site", "name", desc="DSite (name)"),
            "site_id": _ref("dcim.site", "id"),
            "device": _ref("dcim.device", "name", desc="Device (name)"),
            "device_id": _ref("dcim.device", "id"),
            "local_as": _ref(ASN, "asn", desc="Local AS (Number)"),
            "local_as_id": _ref(ASN, "id"),
            "remote_as": _ref(ASN, "asn", desc="Remote AS (Number)"),
            "remote_as_id": _ref(ASN, "id"),
            "peer_group": _ref(PEER_GROUP, "name"),
            "import_policies": _ref(POLICY, "name"),
            "export_policies": _ref(POLICY, "name"),
        },
        "graphql": {"list": "netbox_bgp_session_list", "fields": ["id", "name", "status"]},
    },
    PEER_GROUP: {
        "path": "plugins/bgp/peer-group/",
        "verbose": "bgp peer group",
        "label": "name",
        "fields": {
            "id": {"t": "int"},
            "name": {"t": "str"},
            "remote_as": _fk(ASN),
            "import_policies": _fk(POLICY, True),
        },
        "filters": {**NAMED, "remote_as": _ref(ASN, "asn", multi=False)},
        "graphql": {"list": "netbox_bgp_peer_group_list", "fields": ["id", "name"]},
    },
    POLICY: {
        "path": "plugins/bgp/routing-policy/",
        "verbose": "routing policy",
        "label": "name",
        "fields": {"id": {"t": "int"}, "name": {"t": "str"}},
        "filters": dict(NAMED),
        "graphql": {"list": "netbox_bgp_routing_policy_list", "fields": ["id", "name"]},
    },
}

NAMES = [
    Named("dcim.site", 2, "DM-Akron", "dm-akron"),
    Named(TAG, 27, "critical", "critical"),
    Named(TAG, 29, "uplink", "uplink"),
    Named(PEER_GROUP, 1, "LEVEL3-TRANSIT"),
    Named(PEER_GROUP, 2, "CENTURYLINK-TRANSIT"),
    Named(POLICY, 1, "TRANSIT-IN"),
    Named(POLICY, 2, "TRANSIT-OUT"),
    Named(SESSION, 1, "stamford-level3"),
    Named(SESSION, 4, "akron-level3"),
]


@pytest.fixture(scope="module")
def bgp_schema() -> Iterator[nbschema.Schema]:
    doc = nbschema.shipped().document()
    schema = nbschema.Schema(
        {
            **doc,
            "models": {**doc["models"], **PLUGIN_MODELS},
            "choices": {
                **doc["choices"],
                STATUS: [
                    ["offline", "Offline"],
                    ["active", "Active"],
                    ["planned", "Planned"],
                    ["failed", "Failed"],
                ],
            },
        }
    )
    nbschema.use(schema)
    lexicon.cache_clear()
    yield schema
    nbschema.use(None)
    lexicon.cache_clear()


@pytest.fixture(scope="module")
def parser(bgp_schema: nbschema.Schema) -> Parser:
    return Parser(NameIndex(NAMES, source="graphql"), schema=bgp_schema)


def _conds(intent: Intent) -> list[tuple[str, Any, Any]]:
    return [(c.field, c.op, c.value) for c in intent.conditions]


@pytest.mark.parametrize(
    "question",
    [
        "bgp peers on dmi01-stamford-rtr01",
        "BGP neighbours of dmi01-stamford-rtr01",
        "sessions on dmi01-stamford-rtr01",
    ],
)
def test_peer_and_neighbour_words_name_the_plugins_session_model(parser: Parser, question: str) -> None:
    intent = parser.parse(question)
    assert intent.target == SESSION and intent.not_understood == []
    assert [(c.field, c.model, c.value) for c in intent.conditions] == [
        ("device", "dcim.device", "dmi01-stamford-rtr01")
    ]


@pytest.mark.parametrize(
    "question,model", [("peer groups", PEER_GROUP), ("routing policies", POLICY), ("bgp sessions", SESSION)]
)
def test_the_plugins_models_are_listed_by_their_names(parser: Parser, question: str, model: str) -> None:
    intent = parser.parse(question)
    assert intent.target == model and intent.conditions == [] and intent.not_understood == []


@pytest.mark.parametrize(
    "question,field,value",
    [
        ("sessions to AS209", "remote_as", "209"),  # no field word: the AS peered with (vocab.toml relation)
        ("bgp sessions with remote AS 3356", "remote_as", "3356"),
        ("sessions with local AS 65001", "local_as", "65001"),  # five digits, yet no circuit id
        ("which sessions peer with AS3356", "remote_as", "3356"),  # "peer with" carries nothing but the AS
    ],
)
def test_an_asn_is_the_remote_or_the_local_as_as_said(
    parser: Parser, question: str, field: str, value: str
) -> None:
    intent = parser.parse(question)
    assert intent.target == SESSION and intent.not_understood == []
    assert [(c.field, c.model, c.value) for c in intent.conditions] == [(field, ASN, value)]


@pytest.mark.parametrize(
    "question,field,model,ids",
    [
        ("bgp sessions in peer group LEVEL3-TRANSIT", "peer_group", PEER_GROUP, [1]),
        ("bgp sessions importing TRANSIT-IN", "import_policies", POLICY, [1]),
        ("bgp sessions at DM-Akron", "site", "dcim.site", [2]),
    ],
)
def test_a_named_plugin_object_is_resolved_from_the_name_index(
    parser: Parser, question: str, field: str, model: str, ids: list[int]
) -> None:
    intent = parser.parse(question)
    assert intent.target == SESSION and intent.not_understood == []
    [cond] = intent.conditions
    assert (cond.field, cond.model, [r.id for r in cond.resolved]) == (field, model, ids)


def test_a_policy_without_import_or_export_is_not_applied_to_either(
    parser: Parser, bgp_schema: nbschema.Schema
) -> None:
    """Import or export policy: the words must say which; otherwise said as not applied, never a guess."""
    assert [c.field for c in parser.parse("bgp sessions exporting TRANSIT-OUT").conditions] == [
        "export_policies"
    ]
    intent = parser.parse("sessions using TRANSIT-OUT")
    q = build_query(bgp_schema.model(SESSION), intent.conditions)
    assert q.params == {} and q.local == [] and len(q.limits) == 1 and "TRANSIT-OUT" in q.limits[0]


def test_down_is_offline_or_failed_and_up_is_active(parser: Parser) -> None:
    assert _conds(parser.parse("which bgp neighbours are down")) == [("status", "eq", ["offline", "failed"])]
    assert _conds(parser.parse("bgp peers that are up")) == [("status", "eq", "active")]
    assert _conds(parser.parse("offline or failed sessions")) == [("status", "eq", ["offline", "failed"])]


def test_a_field_of_one_named_session(parser: Parser) -> None:
    intent = parser.parse("import policy of stamford-level3")
    assert intent.target == SESSION and intent.not_understood == []
    assert intent.attributes == ["import_policies"]
    assert [(c.model, [r.id for r in c.resolved]) for c in intent.conditions] == [(SESSION, [1])]


def test_policy_words_are_no_request_to_change_netbox(parser: Parser) -> None:
    for question in (
        "import policy of stamford-level3",
        "bgp sessions importing TRANSIT-IN",
        "export policies of akron-level3",
    ):
        assert parser.parse(question).target == SESSION, question  # not refused as "import …"


def test_the_plugins_names_are_read_in_the_one_names_request(bgp_schema: nbschema.Schema) -> None:
    query, lists = graphql_query()
    assert {SESSION, PEER_GROUP, POLICY} <= set(
        lists.values()
    ) and "netbox_bgp_peer_group_list { id name }" in query


def test_without_the_plugin_its_words_cost_nothing() -> None:
    """The shipped schema has no netbox-bgp: its vocabulary is unused, a bare name still a device."""
    nbschema.use(None)
    lexicon.cache_clear()
    _, lists = graphql_query()
    assert not any(m.startswith("netbox_bgp.") for m in lists.values())
    intent = Parser(NameIndex([], source="graphql")).parse("stamford-level3")
    assert intent.target == "dcim.device"


# -- the one-value status filter: never narrowed in silence ----------------------------------------------

ROWS = [
    {"id": i, "status": {"value": s, "label": s.title()}, "peer_group": {"id": g}, "import_policies": pols}
    for i, s, g, pols in [
        (1, "active", 1, [{"id": 1}]),
        (2, "offline", 2, [{"id": 1}]),
        (3, "failed", 1, [{"id": 1}]),
        (4, "active", 1, [{"id": 1}]),
        (5, "planned", 2, []),
    ]
]


def test_a_list_for_a_one_value_filter_is_applied_here_and_said(bgp_schema: nbschema.Schema) -> None:
    m = bgp_schema.model(SESSION)
    assert m.param_names["status"] is False  # the schema says: `type: string`, one value
    cond = Condition(field="status", value=["offline", "failed"], text="offline or failed")
    q = build_query(m, [cond])
    assert "status" not in q.params and q.local == [cond] and not q.limits
    assert "takes one value" in q.applied[0].filter
    assert [r["id"] for r in local_rows(ROWS, q)] == [2, 3]


def test_one_value_is_sent_to_netbox(bgp_schema: nbschema.Schema) -> None:
    q = build_query(bgp_schema.model(SESSION), [Condition(field="status", value="failed")])
    assert q.params == {"status": "failed"} and not q.local


@pytest.mark.parametrize(
    "field,model,ids,kept",
    [("peer_group", PEER_GROUP, [1], [1, 3, 4]), ("import_policies", POLICY, [1], [1, 2, 3, 4])],
)
def test_an_object_no_id_filter_takes_is_checked_on_the_rows(
    bgp_schema: nbschema.Schema, field: str, model: str, ids: list[int], kept: list[int]
) -> None:
    """netbox-bgp's `peer_group` takes ids, but its schema does not say so (no description, no `_id`):
    its name is never sent; the resolved object is compared with each row's own."""
    cond = Condition(
        field=field, value="x", model=model, resolved=[Ref(model=model, id=i, label="x") for i in ids]
    )
    q = build_query(bgp_schema.model(SESSION), [cond])
    assert q.params == {} and q.local == [cond] and not q.limits
    assert [r["id"] for r in local_rows(ROWS, q)] == kept
    cond.op = "ne"
    assert [r["id"] for r in local_rows(ROWS, q)] == [r["id"] for r in ROWS if r["id"] not in kept]


# -- tags: "tagged X" where X is a tag's name ---------------------------------------------------------------


def test_a_tag_after_tagged_wins_over_the_interface_word_and_the_port_mode(parser: Parser) -> None:
    intent = parser.parse("devices tagged uplink")
    assert intent.target == "dcim.device" and intent.relations == [] and intent.not_understood == []
    assert [(c.field, c.model, [r.id for r in c.resolved]) for c in intent.conditions] == [("tag", TAG, [29])]


def test_tagged_uplink_loads_the_names_to_be_read(parser: Parser) -> None:
    """Read without the names first (a question of known words costs no request): "uplink" after
    "tagged" may be a tag only the names can tell, so the names are loaded."""
    assert parser.needs_names("devices tagged uplink") and parser.needs_names("devices with tag uplink")
    assert not parser.needs_names("tagged interfaces")


class _Pages:
    """A client whose tag rows are `rows` (or a refusal), keeping what was asked."""

    def __init__(self, rows: list[dict[str, Any]] | None) -> None:
        self.rows, self.asked = rows, []  # type: ignore[var-annotated]

    async def page(self, path: str, params: dict[str, Any], **kw: Any) -> Any:
        from netbox_tui.errors import NetBoxTUIError
        from netbox_tui.netbox.client import Page

        self.asked.append((path, params))
        if self.rows is None:
            raise NetBoxTUIError("permission denied")
        return Page(results=self.rows, count=len(self.rows), offset=0, limit=1000)


async def test_an_empty_tagged_list_says_whether_the_tag_is_used_elsewhere() -> None:
    from types import SimpleNamespace

    from netbox_tui.core.tags import tag_filter, used_elsewhere

    cond = Condition(field="tag", value="uplink", model=TAG, resolved=[Ref(model=TAG, id=29, label="uplink")])
    client = _Pages([{"id": 29, "name": "uplink", "tagged_items": 5}])
    said = await used_elsewhere(SimpleNamespace(client=client), cond, 0)  # type: ignore[arg-type]
    assert said == "The tag uplink is on 5 objects of other kinds." and client.asked == [
        ("extras/tags/", {"id": [29]})
    ]
    assert (
        await used_elsewhere(SimpleNamespace(client=client), cond, 3) is None and len(client.asked) == 1
    )  # rows: no request
    unused = _Pages([{"id": 29, "name": "uplink", "tagged_items": 0}])
    assert (
        await used_elsewhere(SimpleNamespace(client=unused), cond, 0)
        == "The tag uplink is on no object at all."
    )
    assert (
        await used_elsewhere(SimpleNamespace(client=_Pages(None)), cond, 0) is None
    )  # the empty answer stands
    # Only a tag alone says so: "devices at DM-Akron tagged X" may be empty where the tag is on devices.
    site = Condition(
        field="site", value="DM-Akron", model="dcim.site", resolved=[Ref(model="dcim.site", id=2, label="x")]
    )
    assert tag_filter(Intent(target="dcim.device", conditions=[cond])) is cond
    assert tag_filter(Intent(target="dcim.device", conditions=[site, cond])) is None
