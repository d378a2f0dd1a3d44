"""Indexes for the administrators' log search and "who has viewed this person" (issue #6).

Adding an index writes no row: the append-only triggers (0002) are not involved.
"""

import django.db.models.fields.json
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_tamper_evident_chain"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["verb", "id"], name="audit_verb_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                django.db.models.fields.json.KeyTransform("referral", "data"),
                name="audit_data_referral_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                django.db.models.fields.json.KeyTransform("person", "data"),
                name="audit_data_person_idx",
            ),
        ),
    ]
