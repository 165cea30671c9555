# The verdict's status, can_start and begin_by in columns of their own (Case.PLAN_FIELDS), filled
# for the cases already made, and indexed with the institution and the case's status (with the
# start date and id, so that the dashboard's lists are read from the index): the dashboard and
# the case list's risk filters read them instead of every case's JSON. The case list's search by
# name read from an index too; the cases whose verdict moved in a partial index; a case's first
# step to do through one index (case, status, due).

from datetime import date

from django.db import migrations, models


def _columns(verdict) -> dict:
    """The columns of a stored verdict; a copy of models/cases.py's plan_columns as it was when
    this migration was written (a migration keeps its own code: the model's may change)."""
    verdict = verdict if isinstance(verdict, dict) else {}
    begin_by = verdict.get("begin_by")
    try:
        day = date.fromisoformat(begin_by) if isinstance(begin_by, str) else None
    except ValueError:
        day = None
    return {"plan_status": str(verdict.get("status") or "")[:20],
            "plan_can_start": str(verdict.get("can_start") or "")[:16], "plan_begin_by": day}


def fill(apps, schema_editor):
    """Every case's columns from its verdict, a thousand cases a statement."""
    Case = apps.get_model("workspace", "Case")
    names = ["plan_status", "plan_can_start", "plan_begin_by"]
    batch = []
    for case in Case.objects.only("pk", "verdict").order_by("pk").iterator(chunk_size=1000):
        for name, value in _columns(case.verdict).items():
            setattr(case, name, value)
        batch.append(case)
        if len(batch) == 1000:
            Case.objects.bulk_update(batch, names)
            batch = []
    if batch:
        Case.objects.bulk_update(batch, names)


class Migration(migrations.Migration):

    dependencies = [
        ('workspace', '0005_reminders_calendar_contacts_agreement_documents'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='plan_begin_by',
            field=models.DateField(blank=True, editable=False, help_text="The verdict's begin_by: the typical plan's last day to begin", null=True),
        ),
        migrations.AddField(
            model_name='case',
            name='plan_can_start',
            field=models.CharField(blank=True, editable=False, help_text="The verdict's can_start: yes, likely, only-if-fast, no; blank without a start date", max_length=16),
        ),
        migrations.AddField(
            model_name='case',
            name='plan_status',
            field=models.CharField(blank=True, editable=False, help_text="The verdict's status", max_length=20),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['institution', 'status', 'plan_can_start', 'plan_begin_by', 'starts', 'id'], name='case_plan_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['institution', 'status', 'trainee_name'], name='case_name_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('change', ''), _negated=True), fields=['institution', 'status'], name='case_moved_idx'),
        ),
        migrations.AddIndex(
            model_name='checklistitem',
            index=models.Index(fields=['case', 'status', 'due'], name='checklist_case_status_due'),
        ),
    ]
