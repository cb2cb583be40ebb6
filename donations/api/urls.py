from . import support_batches, support_organisations, views


def register(router) -> None:
    """The routes of `/api/v1/donations/…`."""
    router.register("donations/funds", views.FundViewSet, basename="donations-fund")
    router.register("donations/donors", views.DonorViewSet, basename="donations-donor")
    router.register("donations/campaigns", views.CampaignViewSet, basename="donations-campaign")
    router.register("donations/pledges", views.PledgeViewSet, basename="donations-pledge")
    router.register("donations/receipts", views.ReceiptViewSet, basename="donations-receipt")
    router.register("donations/decisions", views.DecisionViewSet, basename="donations-decision")
    router.register("donations/transfers", views.TransferViewSet, basename="donations-transfer")
    router.register("donations/postings", views.PostingViewSet, basename="donations-posting")
    router.register("donations/organisations", support_organisations.OrganisationViewSet,
                    basename="donations-organisation")
    router.register("donations/activities", support_organisations.ActivityViewSet, basename="donations-activity")
    router.register("donations/support-kinds", support_batches.SupportKindViewSet, basename="donations-support-kind")
    router.register("donations/batches", support_batches.BatchViewSet, basename="donations-batch")
    router.register("donations/recipients", support_batches.RecipientViewSet, basename="donations-recipient")
