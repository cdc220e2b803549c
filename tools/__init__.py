"""Development tools outside the services: the `ctxh` command and the demo province loader.

They compose the three services (start them, mint tokens, load data over HTTP) and may
import each service's public reference codes; no service imports them, so a deployment of
a service does not need them."""
