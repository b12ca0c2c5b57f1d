-- The themes of published figures with their French titles, in display order. Parameters: none.
-- Columns: theme, label.
select theme, label from themes order by position
