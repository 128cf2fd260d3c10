/**
 * What to install when a `.pc` file is missing: the development package for each common
 * library on apt (Debian/Ubuntu), dnf (Fedora/RHEL), apk (Alpine), brew (macOS) and pacman (Arch).
 */
import { readdirSync } from 'node:fs';
import { closest } from '../../util/suggest.js';

export interface InstallNames {
  apt?: string;
  dnf?: string;
  apk?: string;
  brew?: string;
  pacman?: string;
}

const t = (apt: string, dnf: string, apk: string, brew: string, pacman: string): InstallNames => ({
  apt,
  dnf,
  apk,
  brew,
  pacman,
});

const GLIB = t('libglib2.0-dev', 'glib2-devel', 'glib-dev', 'glib', 'glib2');
const OPENSSL = t('libssl-dev', 'openssl-devel', 'openssl-dev', 'openssl@3', 'openssl');
const ICU = t('libicu-dev', 'libicu-devel', 'icu-dev', 'icu4c', 'icu');
const PNG = t('libpng-dev', 'libpng-devel', 'libpng-dev', 'libpng', 'libpng');

/** `.pc` module name → package names. */
export const INSTALL_TABLE: Readonly<Record<string, InstallNames>> = {
  zlib: t('zlib1g-dev', 'zlib-devel', 'zlib-dev', 'zlib', 'zlib'),
  libpng: PNG,
  libpng16: PNG,
  sqlite3: t('libsqlite3-dev', 'sqlite-devel', 'sqlite-dev', 'sqlite', 'sqlite'),
  openssl: OPENSSL,
  libssl: OPENSSL,
  libcrypto: OPENSSL,
  'libxml-2.0': t('libxml2-dev', 'libxml2-devel', 'libxml2-dev', 'libxml2', 'libxml2'),
  'glib-2.0': GLIB,
  'gobject-2.0': GLIB,
  'gio-2.0': GLIB,
  'gmodule-2.0': GLIB,
  libzstd: t('libzstd-dev', 'libzstd-devel', 'zstd-dev', 'zstd', 'zstd'),
  liblz4: t('liblz4-dev', 'lz4-devel', 'lz4-dev', 'lz4', 'lz4'),
  libcurl: t('libcurl4-openssl-dev', 'libcurl-devel', 'curl-dev', 'curl', 'curl'),
  libffi: t('libffi-dev', 'libffi-devel', 'libffi-dev', 'libffi', 'libffi'),
  libuv: t('libuv1-dev', 'libuv-devel', 'libuv-dev', 'libuv', 'libuv'),
  libjpeg: t(
    'libjpeg-dev',
    'libjpeg-turbo-devel',
    'libjpeg-turbo-dev',
    'jpeg-turbo',
    'libjpeg-turbo',
  ),
  libwebp: t('libwebp-dev', 'libwebp-devel', 'libwebp-dev', 'webp', 'libwebp'),
  'libtiff-4': t('libtiff-dev', 'libtiff-devel', 'tiff-dev', 'libtiff', 'libtiff'),
  freetype2: t('libfreetype-dev', 'freetype-devel', 'freetype-dev', 'freetype', 'freetype2'),
  fontconfig: t(
    'libfontconfig-dev',
    'fontconfig-devel',
    'fontconfig-dev',
    'fontconfig',
    'fontconfig',
  ),
  harfbuzz: t('libharfbuzz-dev', 'harfbuzz-devel', 'harfbuzz-dev', 'harfbuzz', 'harfbuzz'),
  cairo: t('libcairo2-dev', 'cairo-devel', 'cairo-dev', 'cairo', 'cairo'),
  pango: t('libpango1.0-dev', 'pango-devel', 'pango-dev', 'pango', 'pango'),
  pangocairo: t('libpango1.0-dev', 'pango-devel', 'pango-dev', 'pango', 'pango'),
  'pixman-1': t('libpixman-1-dev', 'pixman-devel', 'pixman-dev', 'pixman', 'pixman'),
  libsodium: t('libsodium-dev', 'libsodium-devel', 'libsodium-dev', 'libsodium', 'libsodium'),
  'libsecret-1': t('libsecret-1-dev', 'libsecret-devel', 'libsecret-dev', 'libsecret', 'libsecret'),
  'gtk+-3.0': t('libgtk-3-dev', 'gtk3-devel', 'gtk+3.0-dev', 'gtk+3', 'gtk3'),
  gtk4: t('libgtk-4-dev', 'gtk4-devel', 'gtk4.0-dev', 'gtk4', 'gtk4'),
  x11: t('libx11-dev', 'libX11-devel', 'libx11-dev', 'libx11', 'libx11'),
  'libusb-1.0': t('libusb-1.0-0-dev', 'libusb1-devel', 'libusb-dev', 'libusb', 'libusb'),
  libsystemd: { apt: 'libsystemd-dev', dnf: 'systemd-devel', pacman: 'systemd-libs' },
  'icu-uc': ICU,
  'icu-i18n': ICU,
  libarchive: t('libarchive-dev', 'libarchive-devel', 'libarchive-dev', 'libarchive', 'libarchive'),
  liblzma: t('liblzma-dev', 'xz-devel', 'xz-dev', 'xz', 'xz'),
  bzip2: t('libbz2-dev', 'bzip2-devel', 'bzip2-dev', 'bzip2', 'bzip2'),
  expat: t('libexpat1-dev', 'expat-devel', 'expat-dev', 'expat', 'expat'),
  vips: t('libvips-dev', 'vips-devel', 'vips-dev', 'vips', 'libvips'),
  'libpcre2-8': t('libpcre2-dev', 'pcre2-devel', 'pcre2-dev', 'pcre2', 'pcre2'),
  libssh2: t('libssh2-1-dev', 'libssh2-devel', 'libssh2-dev', 'libssh2', 'libssh2'),
  libgit2: t('libgit2-dev', 'libgit2-devel', 'libgit2-dev', 'libgit2', 'libgit2'),
  libpq: t('libpq-dev', 'libpq-devel', 'libpq-dev', 'libpq', 'postgresql-libs'),
  libevent: t('libevent-dev', 'libevent-devel', 'libevent-dev', 'libevent', 'libevent'),
};

/** One command per package manager, for a `.pc` name in the table (else an empty list). */
export function installCommands(pcName: string): string[] {
  const names = INSTALL_TABLE[pcName];
  if (!names) return [];
  const out: string[] = [];
  if (names.apt) out.push(`apt:    sudo apt-get install ${names.apt}`);
  if (names.dnf) out.push(`dnf:    sudo dnf install ${names.dnf}`);
  if (names.apk) out.push(`apk:    sudo apk add ${names.apk}`);
  if (names.brew) out.push(`brew:   brew install ${names.brew}`);
  if (names.pacman) out.push(`pacman: sudo pacman -S ${names.pacman}`);
  return out;
}

/** The `.pc` module on the search path whose name is a near miss of `name` (`zlib` for `zlb`). */
export function similarPcName(name: string, searchDirs: readonly string[]): string | undefined {
  const names = new Set<string>();
  for (const dir of searchDirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // a listed directory need not exist
    }
    for (const e of entries) if (e.endsWith('.pc')) names.add(e.slice(0, -3));
  }
  return closest(name, names);
}
