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
from . import logs, sensitive, uploads
from .models import Agreement, Case, ChecklistItem, ContactLog, Exchange, Partner, PartnerContact

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


def profile_from_text(text: str) -> dict:
    """A profile typed as YAML or JSON (YAML 1.2: `NO` is Norway, not false), checked."""
    try:
        data = load_yaml(text) if text.strip() else {}
    except YAMLError as error:
        raise forms.ValidationError(f"The profile is not valid YAML or JSON: {error}") from None
    return checked_profile(data if data is not None else {})


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
        return profile_from_text(self.cleaned_data["profile"])

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
    profile = forms.CharField(label="Profile (YAML or JSON, the contract's fields; no SSN, ITIN or passport numbers)",
                              widget=forms.Textarea(attrs={"rows": 12}), required=False,
                              help_text="Saving re-evaluates the case; the change is kept in its history. "
                                        "The training dates above set start_date and duration_weeks.")

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
        if self.instance and self.instance.pk:
            self.initial["profile"] = profile_text(self.instance.profile)

    def clean_home_country(self) -> str:
        return self.cleaned_data["home_country"].strip().upper()

    def clean_profile(self) -> dict:
        if "profile" not in self.data:  # a form posted without it (a script, an older page): kept as it is
            return dict(self.instance.profile)
        return profile_from_text(self.cleaned_data["profile"])


class CaseFilterForm(forms.Form):
    """The case list's search and filters, read from the address (GET): every field optional;
    a bad value is an error on its field, and the list is filtered by the others."""

    RISKS = [("", "Any"), ("overdue", "Overdue"), ("at-risk", "At risk"), ("late", "Late")]
    STATUSES = [("open", "Open"), ("closed", "Closed"), ("all", "All")]

    q = forms.CharField(label="Name contains", max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label="Status", choices=STATUSES, required=False)
    pathway = forms.ChoiceField(label="Pathway", choices=(), required=False)
    partner = forms.ChoiceField(label="Home institution (partner)", choices=(), required=False)
    starts_from = forms.DateField(label="Starts on or after", widget=DateInput(), required=False)
    starts_to = forms.DateField(label="Starts on or before", widget=DateInput(), required=False)
    risk = forms.ChoiceField(label="Risk", choices=RISKS, required=False,
                             help_text="Overdue: a step past its due date. At risk: a step due within a week, or a "
                                       "start date only a fast plan reaches. Late: the start date cannot be reached "
                                       "even if every step goes fast.")

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [("", "Any")] + [(p["id"], p["name"]) for p in
                                                          sorted(get_engine().pathways(), key=lambda p: p["name"])]
        self.fields["partner"].choices = [("", "Any"), ("none", "None recorded")] + [
            (str(pk), name) for pk, name in Partner.objects.filter(institution=institution).values_list("pk", "name")]
        for name in ("status", "pathway", "partner", "risk"):
            self.fields[name].error_messages["invalid_choice"] = \
                "%(value)s is not one of the choices; pick one from the list."
        for name in ("starts_from", "starts_to"):
            self.fields[name].error_messages["invalid"] = "Give a date as YYYY-MM-DD, such as 2027-06-01."
        self.fields["risk"].widget.attrs["aria-describedby"] = "id_risk_help"

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_from", "starts_to"):
            day = cleaned.get(name)
            if day and not (EARLIEST <= day <= LATEST):
                self.add_error(name, f"Give a date from {EARLIEST} to {LATEST}.")
        first, last = cleaned.get("starts_from"), cleaned.get("starts_to")
        if first and last and last < first:
            self.add_error("starts_to", f"{last} is before {first}, the date it should follow; swap them.")
        return cleaned


class ChecklistStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ChecklistItem.Status.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           validators=NO_IDS)


class PartnerContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "title", "email", "phone"]


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
    """A week of the incidental-contact log of `case` (logs.py says what is accepted): a new
    week, or with `instance` the correction of a logged one. Blank hours count as 0."""

    HOURS_ERRORS = {"invalid": "Give a number of hours, such as 4 or 4.5.",
                    "max_decimal_places": "Give the hours to one decimal place at most, such as 4.5.",
                    "max_digits": f"A week has {logs.WEEK_HOURS} hours; give at most that.",
                    "max_whole_digits": f"A week has {logs.WEEK_HOURS} hours; give at most that."}

    class Meta:
        model = ContactLog
        fields = ["week_of", *logs.HOURS]
        labels = logs.LABELS
        widgets = {"week_of": DateInput()}

    def __init__(self, *args, case=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.today = case, today or date.today()
        first, last = logs.accepted_weeks(case, self.today)
        week = self.fields["week_of"]
        week.error_messages = {"required": "Give the Monday the week begins on.",
                               "invalid": "Give a date as YYYY-MM-DD: the Monday the week begins on."}
        span = (f"from {first} to {last}" if first and first <= last else f"from {first} on" if first
                else f"up to {last}")
        week.help_text = f"The Monday the week begins on: {span}."
        # The date picker offers Mondays only, within the accepted weeks (1900-01-01 was a Monday).
        week.widget.attrs.update({"step": 7, "min": (first or date(1900, 1, 1)).isoformat(), "max": last.isoformat(),
                                  "aria-describedby": "id_week_of_help"})
        for name in logs.HOURS:
            field = self.fields[name]
            field.required = False
            field.error_messages = {**field.error_messages, **self.HOURS_ERRORS}
            field.widget.attrs.update({"min": 0, "max": logs.WEEK_HOURS, "inputmode": "decimal"})
            if not self.is_bound and self.instance.pk is None:
                field.initial = None

    def clean(self):
        cleaned = super().clean()
        hours = {name: cleaned.get(name) for name in logs.HOURS if name not in self.errors}
        for name, value in hours.items():
            if value is None:
                cleaned[name] = hours[name] = 0
        week_of = cleaned.get("week_of")
        found = logs.hours_problems(hours)
        if week_of is not None and self.case is not None:
            found["week_of"] = logs.week_problems(self.case, week_of, self.today, self.instance)
        for field, messages in found.items():
            for message in messages:
                self.add_error(None if field == "__all__" else field, message)
        return cleaned

    def validate_unique(self):  # the case is not a field: logs.week_problems finds a week logged twice
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
