import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Everyone's part in every case, from the sources (safeguarding/case_access.py says the same;
# written out here so that this migration keeps working whatever that module becomes).
FILL = """
INSERT INTO safeguarding_caseaccess (agency_id, user_id, referral_id, until)
SELECT referring_agency_id, CAST(NULL AS bigint), id, CAST(NULL AS timestamp with time zone)
  FROM safeguarding_referral
UNION SELECT i.agency_id, NULL, l.referral_id, NULL FROM safeguarding_listedcase l
  JOIN safeguarding_meeting_invited_agencies i ON i.meeting_id = l.meeting_id
UNION SELECT agency_id, NULL, referral_id, NULL FROM safeguarding_safetyaction
UNION SELECT NULL, idva_id, id, NULL FROM safeguarding_referral WHERE idva_id IS NOT NULL
UNION SELECT NULL, user_id, referral_id, expires_at FROM safeguarding_breakglassaccess
"""


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0003_hash_recovery_codes"),
        ("safeguarding", "0006_safety_action_updates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("until", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name_plural": "case access",
            },
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["partnership", "referred_on", "id"], name="referral_newest"),
        ),
        migrations.AddField(
            model_name="caseaccess",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="case_access",
                to="partnership.agency",
            ),
        ),
        migrations.AddField(
            model_name="caseaccess",
            name="referral",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="access",
                to="safeguarding.referral",
            ),
        ),
        migrations.AddField(
            model_name="caseaccess",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="case_access",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="caseaccess",
            index=models.Index(fields=["user", "referral"], name="case_access_user"),
        ),
        migrations.AddConstraint(
            model_name="caseaccess",
            constraint=models.UniqueConstraint(
                fields=("agency", "referral"), name="case_access_agency"
            ),
        ),
        migrations.AddConstraint(
            model_name="caseaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("agency__isnull", True), ("user__isnull", False)),
                    models.Q(("agency__isnull", False), ("user__isnull", True)),
                    _connector="OR",
                ),
                name="case_access_agency_or_user",
            ),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
