import sys

from bot.app import run

sys.exit(run())
