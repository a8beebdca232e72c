"""A condition on a field is sent as that field's own filter, never as another filter to the same model.

netbox-bgp's sessions have `import_policies` and `export_policies`, both taking routing policies by id
(the generator's rule: a number filter takes ids unless its model is known by a number). The shortest
filter to the model is `export_policies`: "sessions importing X" once went out as `export_policies=X`,
`ok` and wrong. Built here from the filters alone (no plugin in the shipped schema), and from the
shipped schema's own case (`contact` on sites takes ids, not names)."""

from __future__ import annotations

from netbox_tui.core.intent import Condition, Ref
from netbox_tui.core.planner import filter_for
from netbox_tui.schema import FK, REF, Field, Filter, Model
from netbox_tui.schema import load as load_schema

POLICY = "netbox_bgp.routingpolicy"


def _session() -> Model:
    fields = {f: Field(f, FK, POLICY, many=True) for f in ("import_policies", "export_policies")}
    filters = {f: Filter(f, REF, to=POLICY, key="id") for f in ("import_policies", "export_policies")}
    return Model("netbox_bgp.bgpsession", "plugins/bgp/session/", "bgp session", "name", fields, filters)


def _cond(field: str, model: str, id_: int) -> Condition:
    return Condition(field=field, value="X", model=model, resolved=[Ref(model=model, id=id_, label="X")])


def test_each_policy_field_is_sent_as_its_own_filter() -> None:
    m = _session()
    assert filter_for(m, _cond("import_policies", POLICY, 1)) == ("import_policies", [1])
    assert filter_for(m, _cond("export_policies", POLICY, 3)) == ("export_policies", [3])


def test_a_field_whose_filter_takes_no_ids_is_never_sent_as_a_sibling() -> None:
    fields = {f: Field(f, FK, POLICY, many=True) for f in ("import_policies", "export_policies")}
    filters = {"import_policies": Filter("import_policies", REF, to=POLICY, key="name"),
               "export_policies": Filter("export_policies", REF, to=POLICY, key="id")}
    m = Model("netbox_bgp.bgpsession", "plugins/bgp/session/", "bgp session", "name", fields, filters)
    assert filter_for(m, _cond("import_policies", POLICY, 1)) is None  # applied here, said; never export_…


def test_the_shipped_schema_knows_contact_filters_take_ids() -> None:
    sites = load_schema().model("dcim.site")
    assert sites.filters["contact"].key == "id" and sites.filters["contact_role"].key == "id"
    assert filter_for(sites, _cond("contact", "tenancy.contact", 1)) == ("contact", [1])


def test_a_name_of_a_model_two_fields_take_is_never_placed_by_the_schemas_order() -> None:
    """"sessions with TRANSIT-IN": import or export policy, only words can say; never `export_policies`
    because it sorts first. A field the question names still gets its own filter."""
    m = _session()
    assert m.ambiguous_ref(POLICY)
    assert filter_for(m, _cond("routingpolicy", POLICY, 1)) is None  # said as not applied
    assert filter_for(m, _cond("import_policies", POLICY, 1)) == ("import_policies", [1])
    assert not load_schema().model("dcim.device").ambiguous_ref("dcim.site")
