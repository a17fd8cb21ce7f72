import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  beginTotpEnrollment, confirmTotpEnrollment, DomainError, listPasskeys, passkeyRegistrationOptions, passkeySignInOptions, recoveryCodeStatus, registerPasskey, refreshSession, regenerateRecoveryCodes, signIn, signOut, signOutByRefreshToken, userView,
  type IssuedSession, type Platform,
} from '@anchorage/authority';
import type { PasskeyOptionsView, PasskeyView, RecoveryCodesView, RecoveryCodeStatusView, RegisterPasskeyBody, SessionView, SignInBody, TotpCodeBody, TotpEnrollmentView, UserView } from '@anchorage/contracts';
import { Allow, Public, type AuthedRequest } from '../http/access';
import { AttemptLimiter } from '../http/attempt-limiter';
import { PLATFORM, SIGN_IN_LIMITER } from '../http/tokens';

/** The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict, sent only to /api/v1/auth. */
export const REFRESH_COOKIE = 'anchorage_refresh';
const COOKIE_PATH = '/api/v1/auth';
/** Sign-in attempts per client address per minute, unless the server is started with another limit. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 20;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Sign-in, refresh, sign-out, the signed-in user and TOTP enrollment. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(PLATFORM) private readonly p: Platform, @Inject(SIGN_IN_LIMITER) private readonly attempts: AttemptLimiter) {}

  private secureCookies(req: Request): boolean {
    return req.secure || this.p.urls.base.startsWith('https:');
  }

  private sendSession(req: Request, res: Response, s: IssuedSession): SessionView {
    res.cookie(REFRESH_COOKIE, s.refreshToken, {
      httpOnly: true, sameSite: 'strict', secure: this.secureCookies(req), path: COOKIE_PATH, expires: s.refreshExpiresAt,
    });
    res.setHeader('Cache-Control', 'no-store');
    return s.view;
  }

  private clearCookie(req: Request, res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.secureCookies(req), path: COOKIE_PATH });
  }

  /** Signs in with e-mail, password and (where enabled) a TOTP code; the refresh token comes as a cookie. */
  @Post('login')
  @HttpCode(200)
  @Public()
  async login(@Body() body: SignInBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    this.attempts.enforce(req, res, 'sign-in attempts');
    return this.sendSession(req, res, await signIn(this.p, body));
  }

  /** Trades the refresh cookie for a new one and a new access token. */
  @Post('refresh')
  @HttpCode(200)
  @Public()
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    try {
      return this.sendSession(req, res, await refreshSession(this.p, cookieValue(req, REFRESH_COOKIE)));
    } catch (err) {
      this.clearCookie(req, res);
      throw err;
    }
  }

  /** Signs out: ends the session of the access token, or of the refresh cookie; clears the cookie. */
  @Post('logout')
  @HttpCode(204)
  @Public()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await signOutByRefreshToken(this.p, cookieValue(req, REFRESH_COOKIE));
    this.clearCookie(req, res);
  }

  /** The signed-in user (an API token is shown as an operator of every community). */
  @Get('me')
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async me(@Req() req: AuthedRequest): Promise<UserView> {
    const user = req.actor.userId ? await this.p.db.identity.findUser(req.actor.userId) : null;
    if (user) return userView(user);
    return {
      id: req.actor.id, email: '', displayName: 'Operator API token', role: 'operator', organizationId: null, communities: 'all',
      totpEnabled: false, lockedUntil: null, disabled: false, createdAt: new Date(0).toISOString(),
    };
  }

  /** Ends the caller's own session (by its access token). */
  @Post('sessions/current/end')
  @HttpCode(204)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async endSession(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (!req.familyId) throw new DomainError('validation', 'an API token has no session to end');
    await signOut(this.p, req.actor, req.familyId);
    this.clearCookie(req, res);
  }

  /** Starts TOTP enrollment: a new secret and otpauth URI, shown once. */
  @Post('totp/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async totpSetup(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<TotpEnrollmentView> {
    res.setHeader('Cache-Control', 'no-store');
    return beginTotpEnrollment(this.p, req.actor);
  }

  /** Turns TOTP on with a code from the app; answers its recovery codes, once. */
  @Post('totp/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async totpConfirm(@Body() body: TotpCodeBody, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<RecoveryCodesView> {
    res.setHeader('Cache-Control', 'no-store');
    return confirmTotpEnrollment(this.p, req.actor, body.code);
  }

  /** A challenge for signing in with a passkey (names no account; limited like sign-in attempts). */
  @Post('passkeys/sign-in-options')
  @HttpCode(200)
  @Public()
  async passkeySignInOptions(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PasskeyOptionsView> {
    this.attempts.enforce(req, res, 'sign-in attempts');
    res.setHeader('Cache-Control', 'no-store');
    return passkeySignInOptions(this.p);
  }

  /** The caller's passkeys (operators). */
  @Get('passkeys')
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  passkeys(@Req() req: AuthedRequest): Promise<PasskeyView[]> {
    return listPasskeys(this.p, req.actor);
  }

  /** A registration challenge and the options for navigator.credentials.create() (operators). */
  @Post('passkeys/registration-options')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async passkeyRegistrationOptions(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<PasskeyOptionsView> {
    res.setHeader('Cache-Control', 'no-store');
    return passkeyRegistrationOptions(this.p, req.actor);
  }

  /** Registers a passkey with its answer to the registration challenge. */
  @Post('passkeys')
  @HttpCode(201)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  registerPasskey(@Body() body: RegisterPasskeyBody, @Req() req: AuthedRequest): Promise<PasskeyView> {
    return registerPasskey(this.p, req.actor, body);
  }

  /** How many of the caller's recovery codes are unused. */
  @Get('recovery-codes')
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  recoveryCodes(@Req() req: AuthedRequest): Promise<RecoveryCodeStatusView> {
    return recoveryCodeStatus(this.p, req.actor);
  }

  /** New recovery codes for the caller (the old ones stop working), in the answer once. */
  @Post('recovery-codes')
  @HttpCode(200)
  @ApiBearerAuth()
  @Allow('operator', 'auditor', 'member-admin')
  async newRecoveryCodes(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<RecoveryCodesView> {
    res.setHeader('Cache-Control', 'no-store');
    return regenerateRecoveryCodes(this.p, req.actor);
  }
}
