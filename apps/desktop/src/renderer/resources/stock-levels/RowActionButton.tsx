import type { MouseEvent, ReactElement } from 'react';
import { IconButton, Tooltip, useMediaQuery, type Theme } from '@mui/material';
import { Link } from 'react-router-dom';
import { Button, useTranslate } from 'react-admin';

interface RowActionButtonProps {
  /** Translation key: the button's text, or its tooltip and accessible name when compact. */
  label: string;
  icon: ReactElement;
  /** A link to this route instead of a button. */
  to?: string;
  onClick?: (event: MouseEvent<HTMLElement>) => void;
}

/**
 * A row action of the stock levels list: labelled from `xl` up, only its icon (the label as tooltip
 * and accessible name) below, where two labelled buttons per row pushed the list wider than a
 * 1024px window and squeezed the product titles at 1280px. react-admin's own Button does the same,
 * but only below `sm`.
 */
export function RowActionButton({ label, icon, to, onClick }: RowActionButtonProps) {
  const translate = useTranslate();
  const compact = useMediaQuery((theme: Theme) => theme.breakpoints.down('xl'));
  if (!compact) {
    return to === undefined ? (
      <Button label={label} onClick={onClick}>
        {icon}
      </Button>
    ) : (
      <Button component={Link} to={to} label={label} onClick={onClick}>
        {icon}
      </Button>
    );
  }
  const text = translate(label);
  return (
    <Tooltip title={text}>
      {to === undefined ? (
        <IconButton aria-label={text} color="primary" size="small" onClick={onClick}>
          {icon}
        </IconButton>
      ) : (
        <IconButton component={Link} to={to} aria-label={text} color="primary" size="small" onClick={onClick}>
          {icon}
        </IconButton>
      )}
    </Tooltip>
  );
}
