"""A name scoped by another (a port of a device, a VLAN at a site) is looked up after every unscoped name,
whichever was said first (issue 16: it waited only for the names listed before it)."""

from __future__ import annotations

from netbox_tui.core.intent import Condition, Intent
from netbox_tui.core.planner import resolve_steps


def _port_then_device() -> Intent:
    port = Condition(field="id", value="2", text="front port 2", model="dcim.frontport")
    device = Condition(field="device", value="PP:B128", model="dcim.device")
    site = Condition(field="site", value="MDF", model="dcim.site")
    return Intent(target="dcim.frontport", conditions=[port, device, site])


def test_a_scoped_name_waits_for_unscoped_names_said_after_it() -> None:
    steps = resolve_steps(_port_then_device())
    deps = {s.name: s.deps for s in steps}
    assert deps == {"resolve:0": ("resolve:1", "resolve:2"), "resolve:1": (), "resolve:2": ()}


def test_unscoped_names_are_looked_up_at_once() -> None:
    device = Condition(field="device", value="PP:B128", model="dcim.device")
    site = Condition(field="site", value="MDF", model="dcim.site")
    steps = resolve_steps(Intent(target="dcim.cable", conditions=[device, site]))
    assert [s.deps for s in steps] == [(), ()]
