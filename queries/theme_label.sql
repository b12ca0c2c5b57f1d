-- The French title of a theme of published figures. Parameters: $theme. Columns: label.
select label from themes where theme = $theme
