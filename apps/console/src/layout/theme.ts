// The console's themes: react-admin's own, with colours dark enough for text at 4.5:1 or more (WCAG 2.x AA,
// 1.4.3) wherever MUI draws them: white on the app bar (secondary) and on filled buttons and chips, and the
// colours themselves as text on white and on the filled inputs' light grey. The defaults measure 3.1:1 (app
// bar #2196f3), 3.1:1 (warning), 4.1:1 (info). The accessibility browser test (axe-core) checks every screen.
import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

/** react-admin's empty list message is drawn at half opacity (about 2.5:1): full opacity, secondary text colour. */
const emptyMessage = (color: string) => ({ RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { opacity: 1, color } } } } });
/**
 * A disabled field's helper text is drawn in the disabled colour (under 3:1 on white), yet
 * it still says something to read (a finished form shows what it made): the secondary text colour instead.
 */
const disabledHelperText = (color: string) => ({ MuiFormHelperText: { styleOverrides: { root: { '&.Mui-disabled': { color } } } } });
/**
 * An alert's message scrolls sideways when a word is wider than it (MUI: overflow auto), which on a phone
 * made the URLs that alerts quote a scrolling region no keyboard can reach; a dialog's title naming a serial
 * ran past the dialog's edge: long words break instead.
 */
const wrappingText = {
  MuiAlert: { styleOverrides: { message: { overflowWrap: 'anywhere' } } },
  MuiDialogTitle: { styleOverrides: { root: { overflowWrap: 'anywhere' } } },
};

export const lightTheme: RaThemeOptions = {
  ...defaultLightTheme,
  palette: {
    ...defaultLightTheme.palette,
    primary: { main: '#1565c0' }, // 5.75:1 on white
    secondary: { light: '#5e92f3', main: '#0d5aa7', dark: '#003c78', contrastText: '#fff' }, // the app bar: 6.9:1
    info: { main: '#01579b' }, // 7.4:1
    success: { main: '#1b5e20' }, // 7.9:1
    warning: { main: '#9a4a00' }, // 6.3:1
    error: { main: '#b71c1c' }, // 6.6:1 on white; 5.2:1 on the bulk-action toolbar's light blue (#c62828 measured 4.4:1 there)
  },
  components: { ...defaultLightTheme.components, ...emptyMessage('rgba(0, 0, 0, 0.6)'), ...disabledHelperText('rgba(0, 0, 0, 0.6)'), ...wrappingText } as RaThemeOptions['components'],
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  components: { ...defaultDarkTheme.components, ...emptyMessage('rgba(255, 255, 255, 0.7)'), ...disabledHelperText('rgba(255, 255, 255, 0.7)'), ...wrappingText } as RaThemeOptions['components'],
};
