"""The names sync's secrets go by, in the keychain and the environment: shared by the app
and `desktopchat sync`, and light enough for the command line's help to import."""

PASSPHRASE_ACCOUNT = "sync-passphrase"
PASSPHRASE_ENV = "DESKTOPCHAT_SYNC_PASSPHRASE"
WEBDAV_PASSWORD_ENV = "DESKTOPCHAT_WEBDAV_PASSWORD"
