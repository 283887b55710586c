; Inno Setup script: a per-user installer for po-desk on Windows.
; No administrator rights: installs under %LOCALAPPDATA%\Programs, a Start-menu entry
; and an uninstaller in "Installerade appar". The store, key file and backups live in
; the user's Documents folder and are never touched by install, upgrade or uninstall.
; Build steps: packaging/README.md ("Windows"). Version comes from the build:
;   iscc /DAppVersion=0.1.0 packaging\windows\po-desk.iss

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z po-desk.iss
#endif

[Setup]
AppId={{6F3C8C1E-6A43-4C55-9B1E-5F0B1D4A2C77}
AppName=po-desk
AppVersion={#AppVersion}
AppPublisher=po-desk
AppComments=Register, kö, avvikelser och återrapport för personligt ombud
DefaultDirName={localappdata}\Programs\po-desk
DefaultGroupName=po-desk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=po-desk-{#AppVersion}-installera
SetupIconFile=..\po-desk.ico
UninstallDisplayIcon={app}\po-desk.exe
UninstallDisplayName=po-desk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Tasks]
Name: "desktopicon"; Description: "Skapa en genväg på skrivbordet"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder build (dist\po-desk).
Source: "..\..\dist\po-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\po-desk"; Filename: "{app}\po-desk.exe"; Comment: "Register för personligt ombud"
Name: "{userprograms}\Avinstallera po-desk"; Filename: "{uninstallexe}"
Name: "{userdesktop}\po-desk"; Filename: "{app}\po-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\po-desk.exe"; Description: "Starta po-desk"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote inside its folder; registers and backups stay.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
