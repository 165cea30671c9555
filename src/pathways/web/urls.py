from django.contrib import admin
from django.urls import include, path

from .i18n import views as languages
from .security import views as security

urlpatterns = [
    path("api/v1/", include("pathways.web.api.urls")),
    path("admin/", admin.site.urls),
    # a signed-in user's own password (Django's PasswordChangeView, the workspace's templates), any
    # user's, member of an institution or not: outside /workspace/, whose pages are the institutions'
    path("account/password/", security.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", security.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("workspace/", include("pathways.web.workspace.urls")),
    path("language/<str:code>/", languages.switch, name="language"),
    path("", include("pathways.web.finder.urls")),
]

handler500 = "pathways.web.security.views.server_error"  # a read-only database: 503, said so
