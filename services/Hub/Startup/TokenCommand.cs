using System.CommandLine;
using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.Hub.Startup;

/// <summary><c>Hub token --role coordinator --party 0301 [--party-kind nav] [--user coord-7]</c>: a development token.</summary>
public static class TokenCommand
{
    public static int Run(string[] args)
    {
        var role = new Option<string>("--role") { Description = "Hub role of the caller.", Required = true };
        role.AcceptOnlyFromAmong([.. HubRoles.All]);
        var party = new Option<string?>("--party") { Description = "HER-id, municipality number or NAV office the caller acts for." };
        var user = new Option<string?>("--user") { Description = "User or system id (default dev-<role>)." };
        var partyKind = new Option<string?>("--party-kind") { Description = "For a coordinator: municipality (default) or nav." };
        partyKind.AcceptOnlyFromAmong([.. HubClaims.PartyKinds.Keys]);
        var command = new RootCommand("Prints a token from the development issuer that a hub over the same data folder accepts.")
        {
            role, party, user, partyKind,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parsed =>
        {
            var builder = WebApplication.CreateSlimBuilder(parsed.UnmatchedTokens.ToArray());
            var auth = builder.Configuration.GetSection(HubAuthOptions.Section).Get<HubAuthOptions>() ?? new HubAuthOptions();
            if (!auth.DevelopmentIssuer.IsEnabledIn(builder.Environment) || builder.Environment.IsProduction())
            {
                Console.Error.WriteLine("error: the development issuer is off in this environment; tokens come from the real issuers.");
                return 2;
            }

            var dataDirectory = builder.Configuration[Messaging.Hosting.HubPaths.DataDirectoryKey] ?? "data";
            var issuer = new DevelopmentIssuer(auth, new Messaging.Hosting.HubPaths(dataDirectory).DataDirectory, TimeProvider.System);
            Console.WriteLine(issuer.CreateToken(parsed.GetValue(role)!, parsed.GetValue(party), parsed.GetValue(user), parsed.GetValue(partyKind)));
            return 0;
        });
        return command.Parse(args).Invoke();
    }
}
