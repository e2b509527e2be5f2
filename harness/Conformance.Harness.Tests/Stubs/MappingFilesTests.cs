using Conformance.Harness.Stubs;

namespace Conformance.Harness.Tests.Stubs;

/// <summary><c>--mappings dir/</c>: a folder of WireMock mapping files in the shapes WireMock writes them.</summary>
public sealed class MappingFilesTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("conformance-mappings-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Load_OneMappingAListAndAnAdminExport_InPathOrder_NamedByFile()
    {
        // Given three files: one mapping, a list of two, and an admin export with one named mapping
        Write("a.json", """{ "request": { "method": "GET", "urlPath": "/a" }, "response": { "status": 200, "body": "a" } }""");
        Write("b.json", """[ { "request": { "urlPath": "/b1" } }, { "request": { "urlPath": "/b2" }, "response": { "fault": "EMPTY_RESPONSE" } } ]""");
        Write("sub/c.json", """
            {
              "mappings": [
                { "name": "users", "id": "3b1c8d52-6d0e-4d4c-9d36-0c5e1f3a7a10", "request": { "urlPathPattern": "^/users/[0-9]+$" },
                  "response": { "jsonBody": { "ok": true } }, "persistent": true }
              ],
              "meta": { "total": 1 }
            }
            """);

        // When the folder is loaded
        var (stubs, errors) = MappingFiles.Load(_dir);

        // Then every mapping is a stub, in path order, named by its file (and line, or its own name)
        Assert.That(errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(stubs.Select(s => s.Name), Is.EqualTo(new[] { "stub a.json:1", "stub b.json:1", "stub b.json:1", $"stub {Path.Combine("sub", "c.json")} (users)" }));
        Assert.That(stubs[2].Response.Fault, Is.EqualTo(Mocks.Hosting.HttpFault.EmptyResponse));
    }

    [Test]
    public void Load_AMappingWireMockCannotTake_IsAnErrorAtItsLineAndColumn_AndTheOtherFilesStillLoad()
    {
        // Given a good file and a file with an unknown matcher on its third line
        Write("good.json", """{ "request": { "urlPath": "/ok" } }""");
        Write("bad.json", "{\n  \"request\": { \"urlPath\": \"/x\",\n    \"headers\": { \"Accept\": { \"containz\": \"json\" } } }\n}");

        // When the folder is loaded
        var (stubs, errors) = MappingFiles.Load(_dir);

        // Then the error names the file, line and column, with a suggestion
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { Path.Combine(_dir, "bad.json") + ":3:30: unknown matcher 'containz'; did you mean 'contains'?" }));
        Assert.That(stubs.Select(s => s.Name), Is.EqualTo(new[] { "stub good.json:1" }));
    }

    [Test]
    public void Load_NoSuchFolder_SaysSo()
    {
        var (_, errors) = MappingFiles.Load(Path.Combine(_dir, "missing"));

        Assert.That(errors.Single().Message, Is.EqualTo("no such folder of WireMock mapping files"));
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
