"""A phone's queued changes, sent in one request when the signal returns."""
