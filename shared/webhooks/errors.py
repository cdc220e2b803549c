"""Problems the webhook routes answer with."""

from shared.errors import Conflict, NotFound


class SubscriptionNotFound(NotFound):
    code = "webhook_subscription_not_found"
    title = "No such webhook subscription of yours"


class SubscriptionArchived(Conflict):
    code = "webhook_subscription_archived"
    title = "The subscription is archived; create a new one"


class DeliveryNotFound(NotFound):
    code = "webhook_delivery_not_found"
    title = "No such delivery to a subscription of yours"


class DeliveryStillPending(Conflict):
    code = "webhook_delivery_pending"
    title = "The delivery is still being tried; redeliver it once it succeeded or died"
