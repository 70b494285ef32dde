"""``/result``: the original system's reply, kept for the clients written against it."""
