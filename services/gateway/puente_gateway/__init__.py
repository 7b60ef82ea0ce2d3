"""The GraphQL gateway: partners' one door. Mutations send commands and wait briefly for their
outcome, queries read a projection of every event, subscriptions stream the live timeline; in
demos it also plays the people in the field. Run it with `python -m puente_gateway`."""

from puente_gateway.app import Gateway, create_app

__all__ = ["Gateway", "create_app"]
