"""The audit log becomes tamper-evident and append-only (issue #6).

Each entry gains previous_hash and hash (saferhub/audit/chain.py); existing entries are
chained in id order; then the database refuses UPDATE and DELETE on the table
(saferhub/audit/append_only.py): triggers on PostgreSQL and SQLite, and on PostgreSQL
the migrating role's UPDATE, DELETE and TRUNCATE privileges are revoked.
"""

import django.utils.timezone
from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    from saferhub.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = chain.GENESIS
    changed = []
    for event in AuditEvent.objects.using(schema_editor.connection.alias).order_by("id"):
        event.previous_hash = previous
        event.hash = chain.hash_of(event)
        previous = event.hash
        changed.append(event)
    AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(
        changed, ["previous_hash", "hash"], batch_size=500
    )


def install_append_only(apps, schema_editor):
    from saferhub.audit import append_only

    append_only.install(schema_editor)


def uninstall_append_only(apps, schema_editor):
    from saferhub.audit import append_only

    append_only.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RunPython(install_append_only, uninstall_append_only),
    ]
