"""The Dash single-page app: the shell, one module per sidebar section, figures and callbacks.

`dashapp.factory.create_app` builds it together with the server around it."""
