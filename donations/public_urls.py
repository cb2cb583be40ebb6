"""The public disclosure pages (công khai): no login, no personal data of any beneficiary."""

app_name = "disclosure"

urlpatterns = []
