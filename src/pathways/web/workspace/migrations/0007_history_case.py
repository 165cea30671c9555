# The case each history entry is about (HistoryEntry.case_ref), filled for the entries made before
# from what they recorded (a case's own number; the `case` its step, week, note, document or letter
# named), and indexed with the institution: a case's page finds its history through the index
# instead of reading the JSON of every entry of the institution.

from django.db import migrations, models


def _case_of(entry):
    """The case an entry is about, as history.case_of says it (None: none, or blanked by an erasure)."""
    if entry.model == "Case":
        return entry.object_id
    for side in (entry.after, entry.before):
        if isinstance(side, dict) and isinstance(side.get("case"), int):
            return side["case"]
    return None


def fill(apps, schema_editor):
    """Every entry's case_ref, a thousand entries a statement."""
    HistoryEntry = apps.get_model("workspace", "HistoryEntry")
    batch = []
    for entry in HistoryEntry.objects.only("pk", "model", "object_id", "before", "after").order_by("pk").iterator(
            chunk_size=1000):
        entry.case_ref = _case_of(entry)
        if entry.case_ref is not None:
            batch.append(entry)
        if len(batch) == 1000:
            HistoryEntry.objects.bulk_update(batch, ["case_ref"])
            batch = []
    if batch:
        HistoryEntry.objects.bulk_update(batch, ["case_ref"])


class Migration(migrations.Migration):

    dependencies = [
        ('workspace', '0006_plan_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='historyentry',
            name='case_ref',
            field=models.PositiveBigIntegerField(blank=True, editable=False, help_text='The case the entry is about, if any', null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='historyentry',
            index=models.Index(fields=['institution', 'case_ref'], name='history_case_idx'),
        ),
    ]
