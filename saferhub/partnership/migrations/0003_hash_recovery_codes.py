"""Recovery codes were kept as they are given (django-otp StaticToken.token); from now on a
token holds a keyed digest of its code (mfa.recovery_code_digest). This replaces each code
already kept with its digest, so that the codes people hold still work.

The digest is written out here, not imported from mfa.py, so that this migration does what
it did when it was written; it must give what mfa.recovery_code_digest gives.
"""

import re

from django.db import migrations
from django.utils.crypto import salted_hmac

DIGEST = re.compile(r"[0-9a-f]{16}")


def _digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return salted_hmac("saferhub.recovery-code", normalised, algorithm="sha256").hexdigest()[:16]


def _is_digest(token: str) -> bool:
    # Run twice, this must not digest a digest. A digest is 16 lowercase hex characters;
    # a code from StaticToken.random_token() is 8 base32 characters (a-z and 2-7), so never
    # 16 long. A code can be all hex (say "ab23cd45"), so the length must count too, not
    # the characters alone. A token of 16 hex characters that was typed in as a code (the
    # admin's add page, `addstatictoken`) is taken for a digest and left: it then matches
    # no code, so it stops working rather than letting anyone in.
    return DIGEST.fullmatch(token) is not None


def hash_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    tokens = [t for t in StaticToken.objects.only("pk", "token") if not _is_digest(t.token)]
    for token in tokens:
        token.token = _digest(token.token)
    StaticToken.objects.bulk_update(tokens, ["token"], batch_size=500)


def forget_codes(apps, schema_editor):
    # A digest cannot be turned back into its code, and the code before this migration
    # would take a digest typed in as a code: so going back deletes the digests, and
    # users make new recovery codes from their account page.
    StaticToken = apps.get_model("otp_static", "StaticToken")
    digests = [t.pk for t in StaticToken.objects.only("pk", "token") if _is_digest(t.token)]
    StaticToken.objects.filter(pk__in=digests).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0002_agency_marac_sector"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_codes, forget_codes, elidable=False),
    ]
