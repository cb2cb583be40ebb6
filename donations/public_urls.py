"""The public disclosure pages (công khai): no login, no personal data of any beneficiary."""

from django.urls import path

from .views import public

app_name = "disclosure"

urlpatterns = [
    path("units/<int:pk>/", public.unit_page, name="unit"),
    path("units/<int:pk>/receipts/", public.unit_receipt_search, name="unit-receipts"),
    path("campaigns/<str:code>/", public.campaign_page, name="campaign"),
    path("campaigns/<str:code>/receipts/", public.campaign_receipt_search, name="campaign-receipts"),
]
