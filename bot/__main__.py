import gc
import sys

gc.disable()  # until start-up has loaded, as `fourth-pillar run` does (see cli/bot_commands.py)

from bot.app import run  # noqa: E402

sys.exit(run())
