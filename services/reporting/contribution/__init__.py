"""An agency's contribution to a plan's report, and the lead department's desk over them."""
