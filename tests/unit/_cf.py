"""The custom fields of the fixture NetBox (scripts/seed-fixture.py), as the client reads them: the double
the offline custom-field tests parse with."""

from __future__ import annotations

from netbox_tui.netbox.client import CustomField

DEVICE, CIRCUIT, PREFIX, TENANT = "dcim.device", "circuits.circuit", "ipam.prefix", "tenancy.tenant"
FIELDS = [
    CustomField("warranty_end", "Warranty end", "date", (DEVICE,)),
    CustomField("monitored", "Monitored", "boolean", (DEVICE,)),
    CustomField(
        "support_tier",
        "Support tier",
        "select",
        (CIRCUIT, DEVICE),
        choices=(("gold", "Gold"), ("silver", "Silver"), ("bronze", "Bronze")),
    ),
    CustomField("cost_center", "Cost center", "text", (CIRCUIT, PREFIX, DEVICE)),
    CustomField("sla_hours", "SLA hours", "integer", (CIRCUIT,)),
    CustomField("owner", "Owner", "object", (CIRCUIT, PREFIX, DEVICE), related_object_type="tenancy.contact"),
    CustomField("cust_id", "Customer ID", "text", (TENANT,)),  # the demo data's own
]
