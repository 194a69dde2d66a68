"""Every word Fourth Pillar says, as jinja2 templates, and the renderers that fill them with plain data.

``Renderer`` turns core results into plain text (CLI) or Discord message parts (bot); prompts never imports
discord. Create one ``Renderer`` per process and pass it where words are needed.
"""

from prompts.parts import EmbedField, EmbedPart, MessagePart, Section, paginate, within_limits
from prompts.renderer import Renderer

__all__ = ["EmbedField", "EmbedPart", "MessagePart", "Renderer", "Section", "paginate", "within_limits"]
