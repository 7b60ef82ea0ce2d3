"""Notifications: partners' inboxes, shelters' notices ahead of arrival, policy notices."""

from puente_notifications.app import create_app

__all__ = ["create_app"]
