namespace Conformance.Harness.Protocols;

/// <summary>
/// Something a client of a protocol may do or leave undone without breaking a rule, such as plug.dj's <c>chat</c>.
/// A scenario that can only judge clients that do it lists the feature under <c>requires:</c>; the user declares what
/// their client does, and a scenario whose requirement is not declared is Skipped, never Failed.
/// </summary>
/// <param name="Name">The name scenarios and users write, e.g. <c>rest-login</c>.</param>
/// <param name="Description">One sentence saying what a client with the feature does.</param>
public sealed record ClientFeature(string Name, string Description);
