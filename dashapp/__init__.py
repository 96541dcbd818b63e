"""Sales Pulse: a reactive sales analytics dashboard on Plotly Dash."""

__version__ = "0.1.0"
