import PhonelinkLockIcon from '@mui/icons-material/PhonelinkLock';
import { ListItemIcon, ListItemText, MenuItem, type MenuItemProps } from '@mui/material';
import { useGetIdentity, useNavigate, useUserMenu } from 'react-admin';
import type { ConsoleIdentity } from '../authProvider';
import { TWO_FACTOR_PATH } from './path';

/** User menu entry to the two-factor page (turning it on, or the recovery codes), for a signed-in person (not an API token). */
export function TwoFactorMenuItem(props: MenuItemProps) {
  const { identity } = useGetIdentity();
  const userMenu = useUserMenu();
  const navigate = useNavigate();
  const me = identity as ConsoleIdentity | undefined;
  if (!me || me.apiToken) return null;
  return (
    <MenuItem
      {...props}
      onClick={() => {
        userMenu?.onClose();
        navigate(TWO_FACTOR_PATH);
      }}
    >
      <ListItemIcon><PhonelinkLockIcon fontSize="small" /></ListItemIcon>
      <ListItemText>Two-factor authentication</ListItemText>
    </MenuItem>
  );
}
