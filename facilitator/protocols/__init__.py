"""Discussion protocols (gespreksleidraden): TOML files with steps, prompts and fields."""
