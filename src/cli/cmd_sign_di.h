/*
 * cmd_sign_di.h: badgectl sign --format di (Data Integrity proofs), the
 * entry point badgectl_cmd_sign hands over to.
 */
#ifndef BADGECTL_CMD_SIGN_DI_H
#define BADGECTL_CMD_SIGN_DI_H

/* argv as badgectl_cmd_sign gets it (argv[0] = "sign"); exit code. */
int badgectl_sign_di(int argc, char **argv);

#endif
