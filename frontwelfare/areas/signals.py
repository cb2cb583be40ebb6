"""What the areas app tells the apps that keep records under its units, without importing them
(a platform app imports no domain app; the domains listen in their AppConfig.ready)."""

from django.dispatch import Signal

# Sent by services.units_map_to_current, inside its transaction, with ``communes``: the ids of the
# former communes that were split between several current communes and now have one (a corrected
# mapping). Whatever a domain assigned to one of their successors by hamlet must follow the commune
# whole again, or it would count in two current communes.
communes_no_longer_split = Signal()
