"""Webhook subscriptions: each service that writes events (a transactional outbox) lets the
`integration` role subscribe to them, and `ctxh worker` delivers them, signed to the
Standard Webhooks specification.

A subscription is its own queue. It holds a cursor into its service's event feed; a worker
leases the subscription, turns the events after the cursor that its owner may read into
deliveries, and sends them one at a time, in order. The lease is the only thing that lets
a worker send, so two workers never send one event at once, and a slow or failing receiver
holds only its own lease. See docs/webhooks.md.
"""
