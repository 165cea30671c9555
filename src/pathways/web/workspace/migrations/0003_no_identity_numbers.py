# Identity numbers (SSN, ITIN, passport) refused in every free-text field: validators only, no schema change.

import pathways.web.workspace.sensitive
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workspace', '0002_checklist_status_due'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agreement',
            name='notes',
            field=models.TextField(blank=True, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='case',
            name='trainee_email',
            field=models.EmailField(blank=True, max_length=254, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='case',
            name='trainee_name',
            field=models.CharField(max_length=200, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='document',
            name='title',
            field=models.CharField(max_length=200, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='exchange',
            name='notes',
            field=models.CharField(blank=True, max_length=300, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='institution',
            name='name',
            field=models.CharField(max_length=200, unique=True, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='institution',
            name='slug',
            field=models.SlugField(max_length=60, unique=True, validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='note',
            name='text',
            field=models.TextField(validators=[pathways.web.workspace.sensitive.validate]),
        ),
        migrations.AlterField(
            model_name='partner',
            name='name',
            field=models.CharField(max_length=200, validators=[pathways.web.workspace.sensitive.validate]),
        ),
    ]
