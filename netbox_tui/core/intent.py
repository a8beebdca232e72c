"""The typed intent a question is classified into (offline rules or an LLM, same model)."""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class IntentKind(str, Enum):
    device_lookup = "device_lookup"
    bulk_discovery = "bulk_discovery"
    relationship_analysis = "relationship_analysis"
    performance_query = "performance_query"
    configuration_audit = "configuration_audit"


class ObjectType(str, Enum):
    """NetBox models, spelled `app_label.model` as NetBox's own object_type fields are."""

    device = "dcim.device"
    interface = "dcim.interface"
    site = "dcim.site"
    region = "dcim.region"
    rack = "dcim.rack"
    cable = "dcim.cable"
    device_role = "dcim.devicerole"
    platform = "dcim.platform"
    manufacturer = "dcim.manufacturer"
    device_type = "dcim.devicetype"
    location = "dcim.location"
    vlan = "ipam.vlan"
    vlan_group = "ipam.vlangroup"
    prefix = "ipam.prefix"
    ip_address = "ipam.ipaddress"
    vrf = "ipam.vrf"
    aggregate = "ipam.aggregate"
    circuit = "circuits.circuit"
    provider = "circuits.provider"
    circuit_termination = "circuits.circuittermination"
    virtual_machine = "virtualization.virtualmachine"
    cluster = "virtualization.cluster"
    tenant = "tenancy.tenant"


class Filters(BaseModel):
    """Names as the user typed them (or as resolved); the planner turns them into NetBox filters."""

    model_config = ConfigDict(extra="forbid")

    scope: Optional[str] = Field(None, description="a place or container named loosely (\"at dm akron\", \"in New York\"): the resolver tries site, location, region, tenant, cluster")
    site: Optional[str] = None
    region: Optional[str] = None
    tenant: Optional[str] = None
    role: Optional[str] = None
    status: Optional[str] = None
    rack: Optional[str] = None
    vlan: Optional[str] = None
    vrf: Optional[str] = None
    prefix: Optional[str] = None
    ip: Optional[str] = None
    name: Optional[str] = None
    device: Optional[str] = None
    interface: Optional[str] = None
    cluster: Optional[str] = None
    provider: Optional[str] = None
    platform: Optional[str] = None
    manufacturer: Optional[str] = None
    device_type: Optional[str] = None
    tag: Optional[str] = None
    search: Optional[str] = Field(None, description="other words, searched with NetBox's own q= search")

    def given(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


Audit = Literal["no_primary_ip", "no_serial", "no_platform", "no_tenant", "no_asset_tag", "unconnected_interfaces"]
Metric = Literal[
    "rack_utilisation", "prefix_utilisation", "available_ips", "site_summary", "interface_usage", "vlan_topology", "cable_trace"
]


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: IntentKind
    target: ObjectType = Field(description="the NetBox model of the main result table")
    related: list[ObjectType] = Field(default_factory=list, description="models joined in, in order (VLAN -> interfaces -> devices)")
    filters: Filters = Field(default_factory=Filters)
    audit: Optional[Audit] = None
    metric: Optional[Metric] = None
    type_given: bool = Field(True, description="false when the question names something without saying what kind of object it is")
    complexity: Literal["simple", "moderate", "complex"] = "simple"
    expected_format: Literal["table", "single", "summary", "topology", "trace"] = "table"
    source: Literal["rules", "llm"] = "rules"
