from django.urls import path  # noqa: F401  (the blocks below fill urlpatterns)

app_name = "models"

urlpatterns = []

# -- the commune's side: the list and board, registering on a phone, a model's page, its steps,
# files, replication (models_registry/views/registrations.py) ---------------------------------------





# -- the level above: rounds, criteria, reopening, synthesis, inspection plan, inspections,
# meetings, notices, awards, support (models_registry/views/rounds.py and views/recognition.py) --------





# -- documents: the notice, the blank score sheet and the certificate as PDF (views/documents.py) -----
