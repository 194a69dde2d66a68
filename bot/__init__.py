"""Fourth Pillar's Discord bot: reads offers from slash commands, answers privately, renders with prompts/."""
