"""The workspace's forms. Every field has a label; dates are date inputs; a case's profile
is checked by the engine's own checker, so an unknown field (an SSN, a passport number)
is refused with the checker's message."""

from __future__ import annotations

import json
from datetime import date

import yaml
from django import forms

from pathways import EARLIEST, LATEST, ProfileError, YAMLError, load_yaml
from ..engine import get_engine
from . import sensitive, uploads
from .models import Agreement, Case, ChecklistItem, ContactLog, Exchange, Partner

NO_IDS = [sensitive.validate]  # no SSN, ITIN or passport number in free text (sensitive.py)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def pathway_choices() -> list[tuple[str, str]]:
    return [(p["id"], f"{p['name']} ({p['id']})") for p in sorted(get_engine().pathways(), key=lambda p: p["name"])]


def checked_profile(data) -> dict:
    """The contract's profile after the engine's checker, or a ValidationError per problem
    (an identity number in any of its values among them)."""
    if not isinstance(data, dict):
        raise forms.ValidationError("The profile must be a mapping of facts (YAML or JSON).")
    found = [f"{where}: {message}" for where, message in sensitive.problems_in(data)]
    try:
        profile = get_engine().check(data).to_contract()
    except ProfileError as error:
        raise forms.ValidationError(found + [f"{p.field}: {p.message}" for p in error.problems]) from None
    if found:
        raise forms.ValidationError(found)
    return profile


class CaseForm(forms.Form):
    trainee_name = forms.CharField(label="Trainee's name", max_length=200, validators=NO_IDS)
    trainee_email = forms.EmailField(label="Trainee's email", required=False, validators=NO_IDS)
    home_institution = forms.ModelChoiceField(label="Home institution (partner)", queryset=Partner.objects.none(),
                                              required=False)
    home_country = forms.CharField(label="Home country (two-letter code, such as UG)", max_length=2, min_length=2)
    stage = forms.ChoiceField(label="Stage", choices=[("student", "Student"), ("graduate", "Graduate")])
    pathway_id = forms.ChoiceField(label="Pathway", choices=())
    profile = forms.CharField(label="Profile (YAML or JSON, the contract's fields; no SSN, ITIN or passport numbers)",
                              widget=forms.Textarea(attrs={"rows": 12}))
    evaluated_on = forms.DateField(label="Evaluated on", widget=DateInput(), initial=date.today)
    starts = forms.DateField(label="Training starts", widget=DateInput(), required=False)
    ends = forms.DateField(label="Training ends", widget=DateInput(), required=False)

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_institution"].queryset = Partner.objects.filter(institution=institution)
        self.fields["pathway_id"].choices = pathway_choices()

    def clean_home_country(self) -> str:
        return self.cleaned_data["home_country"].strip().upper()

    def clean_profile(self) -> dict:
        text = self.cleaned_data["profile"]
        try:
            data = load_yaml(text) if text.strip() else {}  # YAML 1.2: `NO` is Norway, not false
        except YAMLError as error:
            raise forms.ValidationError(f"The profile is not valid YAML or JSON: {error}") from None
        return checked_profile(data if data is not None else {})

    def clean(self):
        cleaned = super().clean()
        for name in ("evaluated_on", "starts", "ends"):
            day = cleaned.get(name)
            if day and not (EARLIEST <= day <= LATEST):
                self.add_error(name, f"Give a date from {EARLIEST} to {LATEST}.")
                cleaned.pop(name, None)
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", "Training cannot end before it starts.")
        profile = cleaned.get("profile")
        if isinstance(profile, dict) and starts and not profile.get("start_date"):
            cleaned["profile"] = {**profile, "start_date": starts.isoformat()}  # due dates count back from it
        return cleaned


def profile_text(profile: dict) -> str:
    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True) if profile else ""


class CaseEditForm(forms.ModelForm):
    pathway_id = forms.ChoiceField(label="Pathway", choices=())

    class Meta:
        model = Case
        fields = ["trainee_name", "trainee_email", "home_institution", "home_country", "stage", "pathway_id",
                  "starts", "ends", "status"]
        labels = {"trainee_name": "Trainee's name", "trainee_email": "Trainee's email",
                  "home_institution": "Home institution (partner)", "home_country": "Home country (two-letter code)",
                  "starts": "Training starts", "ends": "Training ends"}
        widgets = {"starts": DateInput(), "ends": DateInput()}

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_institution"].queryset = Partner.objects.filter(institution=institution)
        self.fields["pathway_id"].choices = pathway_choices()

    def clean_home_country(self) -> str:
        return self.cleaned_data["home_country"].strip().upper()


class ChecklistStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ChecklistItem.Status.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           validators=NO_IDS)


class DocumentForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, validators=NO_IDS)
    file = forms.FileField(label="File", widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTRIBUTE}),
                           help_text=f"{uploads.ACCEPTED}, at most "
                           f"{uploads.max_bytes() // uploads.MB} MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        kind, problem = uploads.check(upload)
        if problem:
            raise forms.ValidationError(problem, code="upload")
        return upload


class ContactLogForm(forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["week_of", "patient_contact_hours", "teaching_hours", "research_hours", "observation_hours"]
        labels = {"week_of": "Week of (Monday)", "patient_contact_hours": "Patient contact (hours)",
                  "teaching_hours": "Teaching (hours)", "research_hours": "Research (hours)",
                  "observation_hours": "Observation (hours)"}
        widgets = {"week_of": DateInput()}

    def clean(self):
        cleaned = super().clean()
        for name in ("patient_contact_hours", "teaching_hours", "research_hours", "observation_hours"):
            value = cleaned.get(name)
            if value is not None and (value < 0 or value > 168):
                self.add_error(name, "Hours in a week run from 0 to 168.")
        return cleaned

    def validate_unique(self):  # a week already logged is replaced, not refused
        pass


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "country", "income_group", "income_group_year"]
        labels = {"country": "Country (two-letter code)", "income_group": "World Bank income group",
                  "income_group_year": "Year of the income group (World Bank fiscal year)"}

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same = Partner.objects.filter(institution=self.institution, name=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError("A partner of that name exists already.")
        return name


class PartnerOfInstitution:
    """A form whose `partner` can only be one of the institution's own partners."""

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(institution=institution)


class AgreementForm(PartnerOfInstitution, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["partner", "kind", "direction", "starts", "ends", "places_per_year", "notes"]
        labels = {"starts": "In force from", "ends": "Expires on", "places_per_year": "Places per year"}
        widgets = {"starts": DateInput(), "ends": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts") and cleaned.get("ends") and cleaned["ends"] < cleaned["starts"]:
            self.add_error("ends", "An agreement cannot expire before it starts.")
        return cleaned


class ExchangeForm(PartnerOfInstitution, forms.ModelForm):
    class Meta:
        model = Exchange
        fields = ["partner", "direction", "year", "heads", "trainee_weeks", "usd", "notes"]
        labels = {"heads": "Trainees (heads)", "trainee_weeks": "Trainee-weeks", "usd": "Money spent (US dollars)"}

    def clean(self):
        cleaned = super().clean()
        for name in ("trainee_weeks", "usd"):
            if cleaned.get(name) is not None and cleaned[name] < 0:
                self.add_error(name, "Cannot be negative.")
        if cleaned.get("year") is not None and not 1900 <= cleaned["year"] <= 2200:
            self.add_error("year", "A year such as 2026.")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")
    import_valid_rows = forms.BooleanField(label="Import the valid rows even if some rows have errors", required=False)


def json_text(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
