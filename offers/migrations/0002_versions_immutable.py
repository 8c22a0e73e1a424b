from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION offers_version_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'offer versions are immutable: % is not allowed', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER offers_version_immutable BEFORE UPDATE OR DELETE ON offers_offerversion
    FOR EACH ROW EXECUTE FUNCTION offers_version_immutable();
"""
ALLOW = """
DROP TRIGGER IF EXISTS offers_version_immutable ON offers_offerversion;
DROP FUNCTION IF EXISTS offers_version_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_offers")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
