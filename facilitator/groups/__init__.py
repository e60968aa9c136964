"""Casusgroepen: standing groups of professionals with a procesbegeleider and a rhythm."""
