from django.urls import path

from . import (views_agreements, views_auth, views_cases, views_dashboard, views_data, views_exchanges,
               views_partners)

app_name = "workspace"
urlpatterns = [
    path("login/", views_auth.login_view, name="login"),
    path("logout/", views_auth.logout_page, name="logout"),
    path("", views_dashboard.dashboard, name="dashboard"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/new/", views_cases.case_new, name="case-new"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views_cases.case_edit, name="case-edit"),
    path("cases/<int:pk>/erase/", views_cases.case_erase, name="case-erase"),
    path("cases/<int:pk>/checklist/<int:item>/", views_cases.checklist_item, name="checklist-item"),
    path("cases/<int:pk>/notes/", views_cases.notes, name="notes"),
    path("cases/<int:pk>/documents/", views_cases.documents, name="documents"),
    path("cases/<int:pk>/documents/<int:doc>/", views_cases.document, name="document"),
    path("cases/<int:pk>/contact-log/", views_cases.contact_log, name="contact-log"),
    path("partners/", views_partners.partner_list, name="partners"),
    path("partners/new/", views_partners.partner_form, name="partner-new"),
    path("partners/<int:pk>/", views_partners.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", views_partners.partner_form, name="partner-edit"),
    path("agreements/", views_agreements.agreement_list, name="agreements"),
    path("agreements/new/", views_agreements.agreement_form, name="agreement-new"),
    path("agreements/<int:pk>/", views_agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views_agreements.agreement_form, name="agreement-edit"),
    path("exchanges/", views_exchanges.exchange_list, name="exchanges"),
    path("exchanges/new/", views_exchanges.exchange_new, name="exchange-new"),
    path("reciprocity/", views_exchanges.reciprocity, name="reciprocity"),
    path("reciprocity.csv", views_exchanges.reciprocity_csv, name="reciprocity-csv"),
    path("import/<str:kind>/", views_data.import_csv, name="import"),
    path("export.json", views_data.export_json, name="export"),
]
