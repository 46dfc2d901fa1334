"""``manage.py shell``, with every change made in it recorded as the shell's (history/context.py)."""

from django.core.management.commands import shell

from history.context import command_context


class Command(shell.Command):
    def handle(self, **options):
        with command_context("shell"):
            return super().handle(**options)
