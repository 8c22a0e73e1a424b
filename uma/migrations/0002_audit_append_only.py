from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION uma_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'uma audit records are append-only: % is not allowed', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER uma_audit_append_only BEFORE UPDATE OR DELETE ON uma_auditrecord
    FOR EACH ROW EXECUTE FUNCTION uma_audit_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS uma_audit_append_only ON uma_auditrecord;
DROP FUNCTION IF EXISTS uma_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("uma", "0001_audit_record")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
