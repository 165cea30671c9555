"""The web app's security plumbing, in one place:

- `lockout`: what django-axes (the sign-in lockout, kept in the database) calls: the
  username it counts and the page a locked-out sign-in gets (429);
- `signals`: the `pathways.security` log of sign-ins (failed, locked, refused), sign-outs
  and password changes, with the user and the address, never a password;
- `middleware`: idle and absolute session limits, 403s and refused writes in the log, and a
  read-only database answered with a 503 page rather than a bare 500;
- `views`: a signed-in user's own password change (Django's PasswordChangeView) and the
  500 handler that tells a read-only database apart.
"""
